// Vercel AI SDK (`ai` + a provider package): generateText and streamText. ROUTECHECK_MODE picks the provider:
//   openai             createOpenAI({baseURL, apiKey})('gpt-5-mini')        (the provider's default model call)
//   openai-chat        createOpenAI({baseURL, apiKey}).chat('gpt-5-mini')
//   anthropic          createAnthropic({baseURL, apiKey})
//   google             createGoogleGenerativeAI({baseURL, apiKey})
//   openai-compatible  createOpenAICompatible({name, baseURL, apiKey})
//   openai-env         the default `openai` instance; the Base URL only in OPENAI_BASE_URL (set by record-client)
//   anthropic-env      the default `anthropic` instance; the Base URL only in ANTHROPIC_BASE_URL
import { baseURL, apiKey, call, requireClient } from './driver-common.mjs';

const { generateText, streamText } = requireClient('ai');
const mode = process.env.ROUTECHECK_MODE;
const models = {
  'openai': () => requireClient('@ai-sdk/openai').createOpenAI({ baseURL, apiKey })('gpt-5-mini'),
  'openai-chat': () => requireClient('@ai-sdk/openai').createOpenAI({ baseURL, apiKey }).chat('gpt-5-mini'),
  'anthropic': () => requireClient('@ai-sdk/anthropic').createAnthropic({ baseURL, apiKey })('claude-sonnet-4-5'),
  'google': () => requireClient('@ai-sdk/google').createGoogleGenerativeAI({ baseURL, apiKey })('gemini-2.5-flash'),
  'openai-compatible': () => requireClient('@ai-sdk/openai-compatible')
    .createOpenAICompatible({ name: 'custom', baseURL, apiKey })('gpt-5-mini'),
  'openai-env': () => requireClient('@ai-sdk/openai').openai('gpt-5-mini'),
  'anthropic-env': () => requireClient('@ai-sdk/anthropic').anthropic('claude-sonnet-4-5'),
};
if (!models[mode]) { console.error(`drive-ai-sdk: unknown ROUTECHECK_MODE ${mode}`); process.exit(2); }
const model = models[mode]();
// maxRetries 0: the recorder answers every call; a retry would only hide what the client sends first.
await call('generate', () => generateText({ model, prompt: 'say hi', maxRetries: 0 }));
await call('stream', async () => {
  const r = streamText({ model, prompt: 'say hi', maxRetries: 0, onError: ({ error }) => { throw error; } });
  for await (const _ of r.fullStream) { /* consume every part */ }
});
