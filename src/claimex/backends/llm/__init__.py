"""The LLM backend: any OpenAI-compatible chat endpoint, through instructor.

config (settings and their sources), prompts (versioned prompt files), response
(the model to fill, grounded while parsed), transport (HTTP retries), client
(one instructor call per abstract), calllog (llm_calls: provenance and cache),
redaction (the API key never leaves the HTTP client), extractor (ties them up).

Nothing is imported here, so the CLI can read LLMMode from config without
loading openai and instructor until the backend is actually used.
"""
