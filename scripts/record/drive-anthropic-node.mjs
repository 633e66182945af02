// Anthropic Node SDK: messages.create (plain, stream), messages.countTokens, models.list.
import { baseURL, apiKey, call, drain, requireClient } from './driver-common.mjs';
const Anthropic = requireClient('@anthropic-ai/sdk').default;
const client = new Anthropic({ apiKey, baseURL });
const model = 'claude-sonnet-5-5';
const messages = [{ role: 'user', content: 'say hi' }];
await call('messages', () => client.messages.create({ model, max_tokens: 64, messages }));
await call('messages-stream', async () => drain(await client.messages.create({ model, max_tokens: 64, messages, stream: true })));
await call('count-tokens', () => client.messages.countTokens({ model, messages }));
await call('models-list', async () => { for await (const _ of client.models.list()) break; });
