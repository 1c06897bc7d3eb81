from zwfw.core.errors import RuleViolation


def add_violation(form, exc: RuleViolation) -> None:
    """Show a service's refusal beside its field (or above the form), with its basis."""
    from zwfw.core.basis import explain

    text = explain(exc)
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, text)


def choose(choices) -> list:
    """Choices that start at "请选择": a field with consequences never has a default answer
    (issue 16 point 5); the field stays required, so an unchosen one is refused by name."""
    return [("", "请选择"), *choices]
