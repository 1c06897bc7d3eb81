from ninja import Router

router = Router(tags=["进驻人员"])
