/** The AI provider, as the gameplay AI use case sees it. */
export interface AiCompletionRequest {
  instructions: string;
  prompt: string;
  context: string | undefined;
  maxOutputTokens: number;
  temperature: number | undefined;
}

export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface AiCompletion {
  output: string;
  model: string;
  /** Why the model stopped, as the provider says it ("stop", "length", "content_filter", ...). */
  finishReason: string | null;
  usage: AiUsage;
}

export interface AiCompletions {
  /**
   * One completion with this API key. Throws CredentialRejectedError when the provider refuses
   * the key, and DomainErrors (UPSTREAM_FAILED, UPSTREAM_TIMEOUT, SERVICE_UNAVAILABLE) otherwise.
   */
  complete(request: AiCompletionRequest, apiKey: string): Promise<AiCompletion>;
}
