// Client profiles derived from public source: these clients cannot run here (the Kilo Code VS Code extension
// needs VS Code). record-client writes their recordings by applying the join rule to the steps
// below, and their provenance says so. Each entry cites the file (and commit) the join rule was read from.

const chatBody = { model: 'gpt-5-mini', messages: [{ role: 'user', content: 'say hi' }] };
const jsonHeaders = { accept: 'application/json', 'content-type': 'application/json' };

export const sources = {
  'kilo-code-vscode-openai': {
    name: 'Kilo Code VS Code extension (OpenAI Compatible provider)', protocol: 'openai', join: 'concat',
    auth: { header: 'authorization', prefix: 'Bearer ' },
    source: {
      repository: 'Kilo-Org/kilocode', file: 'src/api/providers/openai.ts',
      commit: '0fc86cec2299b333cb21da87b649003b19319ecc',
      note: 'derived from source, not recorded (the extension needs VS Code). OpenAiHandler builds '
        + '`new OpenAI({baseURL: openAiBaseUrl ?? "https://api.openai.com/v1"})` and calls chat.completions.create '
        + 'with stream: true and stream_options.include_usage: the OpenAI Node SDK join, `concat`, as recorded for '
        + 'openai-node. Not in the steps: the settings page lists models with axios GET `${openAiBaseUrl}/models` '
        + '(a raw string join: a Base URL ending in "/" gives "//models"); Responses mode (openAiApiMode "responses") '
        + 'first rewrites the Base URL with normalizeOpenAiResponsesBaseUrl (src/api/providers/utils/openai-url-utils.ts: '
        + 'drops a trailing /responses, adds /v1 to an empty path, turns http:// into https://). The system prompt and '
        + 'tool list are reduced. Steps and recordings are derived, not recorded.',
    },
    steps: [
      { id: 'prompt.chat-completions', call: 'prompt', method: 'POST', endpoint: '/chat/completions', headers: jsonHeaders,
        body: { model: 'gpt-5-mini', temperature: 0, stream: true, stream_options: { include_usage: true }, parallel_tool_calls: true,
          messages: [{ role: 'system', content: 'You are Kilo Code…[trimmed by record-client]' }, { role: 'user', content: [{ type: 'text', text: 'say hi' }] }] },
        stream: true, spends_quota: true },
    ],
  },
  'kilo-code-vscode-gemini': {
    name: 'Kilo Code VS Code extension (Google Gemini provider)', protocol: 'gemini', join: 'concat',
    auth: { header: 'x-goog-api-key', prefix: '' },
    source: {
      repository: 'Kilo-Org/kilocode', file: 'src/api/providers/gemini.ts (+ src/api/providers/fetchers/gemini.ts)',
      commit: '0fc86cec2299b333cb21da87b649003b19319ecc',
      note: 'derived from source, not recorded (the extension needs VS Code). GeminiHandler first loads the model list '
        + '(getGeminiModels: `new GoogleGenAI({apiKey, httpOptions: {baseUrl: googleGeminiBaseUrl}})`, models.list) and '
        + 'then calls models.generateContentStream with config.httpOptions.baseUrl = googleGeminiBaseUrl: both go '
        + 'through @google/genai, whose join (`concat`, with the SDK adding /v1beta) is recorded for genai-node. So '
        + 'the Base URL must be host:port only; ".../v1beta" gives /v1beta/v1beta/models/... The system instruction '
        + 'and tools are reduced. Steps and recordings are derived, not recorded.',
    },
    steps: [
      { id: 'prompt.models', call: 'prompt', method: 'GET', endpoint: '/v1beta/models', headers: { 'content-type': 'application/json' }, body: null, stream: false, spends_quota: false },
      { id: 'prompt.stream-generate-content', call: 'prompt', method: 'POST', endpoint: '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
        query: 'alt=sse', headers: { 'content-type': 'application/json' },
        body: { contents: [{ role: 'user', parts: [{ text: 'say hi' }] }],
          systemInstruction: { parts: [{ text: 'You are Kilo Code…[trimmed by record-client]' }] },
          generationConfig: { temperature: 1 }, tools: [{ functionDeclarations: [] }] },
        stream: true, spends_quota: true },
    ],
  },
};
