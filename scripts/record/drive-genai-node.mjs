// Google GenAI SDK (Gemini API, API key): generateContent, generateContentStream, models.list, countTokens.
import { baseURL, apiKey, call, drain, requireClient } from './driver-common.mjs';
// ROUTECHECK_PACKAGE: the install name, when a second version is installed under an npm alias (google-genai-3).
const { GoogleGenAI } = requireClient(process.env.ROUTECHECK_PACKAGE || '@google/genai');
const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: baseURL } });
const model = 'gemini-2.5-flash';
const contents = 'say hi';
await call('generate', () => ai.models.generateContent({ model, contents }));
await call('generate-stream', async () => drain(await ai.models.generateContentStream({ model, contents })));
await call('models-list', async () => { const pager = await ai.models.list(); for await (const _ of pager) break; });
await call('count-tokens', () => ai.models.countTokens({ model, contents }));
