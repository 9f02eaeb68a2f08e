/**
 * Loads the app through the core API seam and invokes its functions the way the Node.js worker
 * does: the library's own programming model turns RPC-shaped input into HttpRequest / timer /
 * message arguments and the handler's result back into RPC output, with the app's hooks around it.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  installCoreApi,
  type BindingInfo,
  type FunctionCallback,
  type FunctionMetadata,
  type InvocationRequest,
  type InvocationResponse,
  type LocalCoreApi,
} from './core-api.js';

export type Logger = (line: string) => void;

export interface LoadedFunction {
  name: string;
  /** The trigger binding with %SETTING% expressions resolved, as the host would see it. */
  trigger: BindingInfo & { name: string };
  metadata: FunctionMetadata;
  handler: FunctionCallback;
}

export class InvocationFailed extends Error {
  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    cause: unknown,
  ) {
    super(`${functionName} (${invocationId}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const LOG_LEVELS = new Set(['information', 'warning', 'error', 'critical']);

/** Replaces %NAME% with the app setting, as the host does for trigger properties. */
function resolveSettings(value: unknown, env: NodeJS.ProcessEnv, where: string): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const setting = env[name];
    if (setting === undefined || setting === '') throw new Error(`${where} refers to the app setting %${name}%, which is not set`);
    return setting;
  });
}

export class FunctionsRuntime {
  readonly functions: LoadedFunction[];
  private readonly appHookData: Record<string, unknown> = {};

  private constructor(
    private readonly core: LocalCoreApi,
    private readonly log: Logger,
    private readonly verbose: boolean,
    private readonly rawJsonLines = false,
  ) {
    this.functions = core.registrations.map(({ metadata, handler }) => {
      const entry = Object.entries(metadata.bindings).find(([, b]) => b.direction === 'in' && b.type.endsWith('Trigger'));
      if (!entry) throw new Error(`Function "${metadata.name}" has no trigger binding`);
      const [bindingName, binding] = entry;
      const trigger = Object.fromEntries(
        Object.entries(binding).map(([key, value]) => [key, resolveSettings(value, process.env, `Function "${metadata.name}" ${key}`)]),
      ) as BindingInfo;
      return { name: metadata.name, trigger: { ...trigger, name: bindingName }, metadata, handler };
    });
  }

  /** Installs the seam, imports the app entry point and runs its appStart hooks. */
  static async load(appEntry: string, options: { log: Logger; verbose?: boolean; rawJsonLines?: boolean }): Promise<FunctionsRuntime> {
    const core = installCoreApi((level, category, message) => {
      if (category === 'system' && (options.verbose || level === 'error')) options.log(`[host] ${message}`);
    }, '4.0.0-local');
    await import(pathToFileURL(appEntry).href);
    const runtime = new FunctionsRuntime(core, options.log, options.verbose ?? false, options.rawJsonLines ?? false);
    // The worker asks for capabilities once the app is loaded; the library locks app.setup() then.
    await core.programmingModel().getCapabilities?.({});
    await runtime.runHooks('appStart', { hookData: {}, appHookData: runtime.appHookData, functionAppDirectory: process.cwd() });
    return runtime;
  }

  find(name: string): LoadedFunction | undefined {
    return this.functions.find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  async invoke(fn: LoadedFunction, request: InvocationRequest): Promise<InvocationResponse> {
    const invocationId = randomUUID();
    const coreContext = {
      invocationId,
      request,
      metadata: fn.metadata,
      state: undefined as string | undefined,
      log: (level: string, category: string, message: string) => {
        if (category === 'user' && this.rawJsonLines && message.startsWith('{')) this.log(message);
        else if (category === 'user' && (this.verbose || LOG_LEVELS.has(level))) this.log(`[${fn.name}] ${message}`);
        else if (category === 'system' && (this.verbose || level === 'error')) this.log(`[${fn.name}] ${message}`);
      },
    };
    const model = this.core.programmingModel().getInvocationModel(coreContext);
    const { context, inputs } = await model.getArguments();

    const pre: Record<string, unknown> = { invocationContext: context, inputs, functionCallback: fn.handler, hookData: {}, appHookData: this.appHookData };
    coreContext.state = 'preInvocationHooks';
    await this.runHooks('preInvocation', pre);

    coreContext.state = 'invocation';
    const post: Record<string, unknown> = { invocationContext: context, inputs: pre['inputs'], hookData: pre['hookData'], appHookData: this.appHookData };
    try {
      post['result'] = await model.invokeFunction(context, pre['inputs'] as unknown[], pre['functionCallback'] as FunctionCallback);
    } catch (error) {
      post['error'] = error;
    }
    coreContext.state = 'postInvocationHooks';
    await this.runHooks('postInvocation', post);
    if (post['error'] !== undefined) throw new InvocationFailed(fn.name, invocationId, post['error']);
    return model.getResponse(context, post['result']);
  }

  async terminate(): Promise<void> {
    await this.runHooks('appTerminate', { hookData: {}, appHookData: this.appHookData });
  }

  private async runHooks(name: keyof LocalCoreApi['hooks'], context: Record<string, unknown>): Promise<void> {
    for (const hook of this.core.hooks[name]) await hook(context);
  }
}
