// Points the real openai, @anthropic-ai/sdk and @google/genai SDKs at a running mock upstream and checks
// that each answers a plain and a streaming call normally (text "hi"). Usage: node check.mjs <mock url> [prefix]
// A prefix (e.g. /x/y) is only answered by a mock in --record mode, which matches routes by suffix.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';

const [, , base, prefix = ''] = process.argv;
if (!base) { console.error('usage: node check.mjs <mock url> [prefix]'); process.exit(2); }
const root = base + prefix;
let passed = 0, failed = 0;

async function check(name, fn) {
  try {
    const got = await fn();
    if (got !== 'hi') throw new Error(`expected "hi", got ${JSON.stringify(got)}`);
    passed++; console.log(`ok   ${name}`);
  } catch (e) {
    failed++; console.log(`FAIL ${name}: ${e.message}`);
  }
}

const openai = new OpenAI({ apiKey: 'k', baseURL: `${root}/v1`, maxRetries: 0, timeout: 10000 });
await check('openai chat.completions', async () =>
  (await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }))
    .choices[0].message.content);
await check('openai chat.completions stream', async () => {
  let text = '';
  const s = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true,
    stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] });
  for await (const c of s) text += c.choices[0]?.delta?.content ?? '';
  return text;
});
await check('openai responses', async () => (await openai.responses.create({ model: 'gpt-5', input: 'x' })).output_text);
await check('openai responses stream', async () => {
  let text = '', completed = false;
  for await (const ev of await openai.responses.create({ model: 'gpt-5', input: 'x', stream: true })) {
    if (ev.type === 'response.output_text.delta') text += ev.delta;
    if (ev.type === 'response.completed') completed = true;
  }
  return completed ? text : 'no response.completed';
});
await check('openai models.list', async () => {
  const ids = []; for await (const m of openai.models.list()) ids.push(m.id);
  return ids.length > 0 ? 'hi' : 'empty';
});
await check('openai embeddings (base64 default)', async () => {
  const e = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
  return e.data[0].embedding[0] === 0.25 ? 'hi' : JSON.stringify(e.data[0].embedding);
});

const anthropic = new Anthropic({ apiKey: 'k', baseURL: root, maxRetries: 0, timeout: 10000 });
await check('anthropic messages', async () =>
  (await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    messages: [{ role: 'user', content: 'x' }] })).content[0].text);
await check('anthropic messages stream', async () => {
  const s = anthropic.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 10,
    messages: [{ role: 'user', content: 'x' }] });
  const final = await s.finalMessage();
  return final.content[0].text;
});
await check('anthropic count_tokens', async () =>
  (await anthropic.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] }))
    .input_tokens > 0 ? 'hi' : 'zero');
await check('anthropic models.list', async () => {
  const ids = []; for await (const m of anthropic.models.list()) ids.push(m.id);
  return ids.length > 0 ? 'hi' : 'empty';
});

const genai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: root, timeout: 10000 } });
await check('genai generateContent', async () =>
  (await genai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' })).text);
await check('genai generateContentStream', async () => {
  let text = '';
  for await (const c of await genai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'x' }))
    text += c.text ?? '';
  return text;
});
await check('genai countTokens', async () =>
  (await genai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'x' })).totalTokens > 0 ? 'hi' : 'zero');
await check('genai models.list', async () => {
  const names = []; for await (const m of await genai.models.list()) names.push(m.name);
  return names.length > 0 ? 'hi' : 'empty';
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
