from ninja import Router

router = Router(tags=["首席专家"])
