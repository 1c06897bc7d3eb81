"""The demo's sender (`make run`) prints each SMS with the phone masked."""

from zwfw.notifications.models import OutboxMessage
from zwfw.notifications.senders import ConsoleSender


def test_console_sender_prints_masked_phone_and_text(capsys):
    ConsoleSender().send(OutboxMessage(phone="13800138000", text="验证码123456"))
    out = capsys.readouterr().out
    assert "138****8000" in out and "验证码123456" in out and "13800138000" not in out
