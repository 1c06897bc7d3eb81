from ninja import Router

router = Router(tags=["人才服务"])
