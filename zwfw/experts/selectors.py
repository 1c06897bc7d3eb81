def may_open(user) -> bool:
    """Whether the menu shows this app's section: the check its index page makes."""
    return False
