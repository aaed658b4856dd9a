"""Posting the monthly reminders: an issue per unit on GitHub or Forgejo/Gitea (`forge`), and a
message to a unit's work group through its 企业微信 or 钉钉 robot (`webhook`). Standard library
HTTP only (`http`), with timeouts; no token or webhook key is ever printed or put in an error."""
