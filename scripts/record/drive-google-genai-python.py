# Google GenAI Python SDK (Gemini API, API key): generate_content, generate_content_stream, models.list, count_tokens.
from driver_common import api_key, base_url, call, drain
from google import genai
from google.genai import types

client = genai.Client(api_key=api_key, http_options=types.HttpOptions(base_url=base_url))
model = "gemini-2.5-flash"
call("generate", lambda: client.models.generate_content(model=model, contents="say hi"))
call("generate-stream", lambda: drain(client.models.generate_content_stream(model=model, contents="say hi")))
call("models-list", lambda: next(iter(client.models.list()), None))
call("count-tokens", lambda: client.models.count_tokens(model=model, contents="say hi"))
