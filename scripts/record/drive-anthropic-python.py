# Anthropic Python SDK: messages.create (plain, stream), messages.count_tokens, models.list.
from anthropic import Anthropic
from driver_common import api_key, base_url, call, drain

client = Anthropic(api_key=api_key, base_url=base_url, max_retries=0)
model = "claude-sonnet-4-5"
messages = [{"role": "user", "content": "say hi"}]
call("messages", lambda: client.messages.create(model=model, max_tokens=64, messages=messages))
call("messages-stream", lambda: drain(client.messages.create(model=model, max_tokens=64, messages=messages, stream=True)))
call("count-tokens", lambda: client.messages.count_tokens(model=model, messages=messages))
call("models-list", lambda: next(iter(client.models.list()), None))
