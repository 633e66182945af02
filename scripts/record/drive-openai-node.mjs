// OpenAI Node SDK: models.list, chat.completions.create (plain, stream), responses.create (plain, stream).
import { baseURL, apiKey, call, drain, requireClient } from './driver-common.mjs';
const OpenAI = requireClient('openai').default;
const client = new OpenAI({ apiKey, baseURL });
const model = 'gpt-5-mini';
const messages = [{ role: 'user', content: 'say hi' }];
await call('models-list', async () => { for await (const _ of client.models.list()) break; });
await call('chat', () => client.chat.completions.create({ model, messages }));
await call('chat-stream', async () => drain(await client.chat.completions.create({ model, messages, stream: true })));
await call('responses', () => client.responses.create({ model, input: 'say hi' }));
await call('responses-stream', async () => drain(await client.responses.create({ model, input: 'say hi', stream: true })));
