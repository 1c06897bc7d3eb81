import string

from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """A password mixes at least 3 of: lower case, upper case, digits, symbols."""

    def validate(self, password, user=None):
        if character_classes(password) < 3:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号中的三类。",
                code="password_classes",
            )

    def get_help_text(self):
        return "密码至少8位，须包含大写字母、小写字母、数字、符号中的至少三类。"
