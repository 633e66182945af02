# LiteLLM as a client library: litellm.completion(model="<provider>/<model>", api_base=..., api_key=...), plain and
# stream. ROUTECHECK_MODE picks the provider prefix: openai, anthropic or gemini.
import os

import litellm
from driver_common import api_key, base_url, call, drain

models = {"openai": "openai/gpt-5-mini", "anthropic": "anthropic/claude-sonnet-4-5", "gemini": "gemini/gemini-2.5-flash"}
model = models[os.environ["ROUTECHECK_MODE"]]
messages = [{"role": "user", "content": "say hi"}]
litellm.telemetry = False
call("completion", lambda: litellm.completion(model=model, messages=messages, api_base=base_url, api_key=api_key,
                                              num_retries=0, max_tokens=64))
call("completion-stream", lambda: drain(litellm.completion(model=model, messages=messages, api_base=base_url,
                                                           api_key=api_key, num_retries=0, max_tokens=64, stream=True)))
