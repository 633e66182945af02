# langchain-openai: ChatOpenAI(base_url=..., api_key=...) invoke and stream; ROUTECHECK_MODE=responses sets
# use_responses_api=True.
import os

from driver_common import api_key, base_url, call, drain
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-5-mini", base_url=base_url, api_key=api_key, max_retries=0,
                 use_responses_api=os.environ.get("ROUTECHECK_MODE") == "responses")
call("invoke", lambda: llm.invoke("say hi"))
call("stream", lambda: drain(llm.stream("say hi")))
