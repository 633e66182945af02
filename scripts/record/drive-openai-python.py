# OpenAI Python SDK: models.list, chat.completions.create (plain, stream), responses.create (plain, stream).
from driver_common import api_key, base_url, call, drain
from openai import OpenAI

client = OpenAI(api_key=api_key, base_url=base_url, max_retries=0)
model = "gpt-5-mini"
messages = [{"role": "user", "content": "say hi"}]
call("models-list", lambda: next(iter(client.models.list()), None))
call("chat", lambda: client.chat.completions.create(model=model, messages=messages))
call("chat-stream", lambda: drain(client.chat.completions.create(model=model, messages=messages, stream=True)))
call("responses", lambda: client.responses.create(model=model, input="say hi"))
call("responses-stream", lambda: drain(client.responses.create(model=model, input="say hi", stream=True)))
