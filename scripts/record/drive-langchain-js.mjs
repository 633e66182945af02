// LangChain JS chat models: invoke and stream. ROUTECHECK_MODE picks the class:
//   openai            new ChatOpenAI({apiKey, configuration: {baseURL}})
//   openai-responses  ...with useResponsesApi: true
//   anthropic         new ChatAnthropic({apiKey, anthropicApiUrl})
//   google-genai      new ChatGoogleGenerativeAI({apiKey, baseUrl})
import { baseURL, apiKey, call, drain, requireClient } from './driver-common.mjs';

const mode = process.env.ROUTECHECK_MODE;
const make = {
  'openai': () => new (requireClient('@langchain/openai').ChatOpenAI)({ model: 'gpt-5-mini', apiKey, maxRetries: 0, configuration: { baseURL } }),
  'openai-responses': () => new (requireClient('@langchain/openai').ChatOpenAI)({ model: 'gpt-5-mini', apiKey, maxRetries: 0, useResponsesApi: true, configuration: { baseURL } }),
  'anthropic': () => new (requireClient('@langchain/anthropic').ChatAnthropic)({ model: 'claude-sonnet-4-5', apiKey, maxRetries: 0, anthropicApiUrl: baseURL }),
  'google-genai': () => new (requireClient('@langchain/google-genai').ChatGoogleGenerativeAI)({ model: 'gemini-2.5-flash', apiKey, maxRetries: 0, baseUrl: baseURL }),
};
if (!make[mode]) { console.error(`drive-langchain-js: unknown ROUTECHECK_MODE ${mode}`); process.exit(2); }
const chat = make[mode]();
await call('invoke', () => chat.invoke('say hi'));
await call('stream', async () => drain(await chat.stream('say hi')));
