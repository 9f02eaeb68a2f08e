/**
 * The seam between @azure/functions and a host. The library finds its host with one lazy
 * `require('@azure/functions-core')`; the real Node.js worker answers it by intercepting
 * Module.prototype.require, and so do we. Every app.http/timer/serviceBusTopic(...) call then
 * arrives here as registerFunction(metadata, handler), exactly as the worker would see it, so
 * the local host serves what the app registers and nothing else.
 *
 * This is an internal contract of @azure/functions: the version is pinned in package.json and
 * test/integration/local-host.test.ts fails if it changes shape.
 */
import Module from 'node:module';

export interface BindingInfo {
  type: string;
  direction: 'in' | 'out';
  name?: string;
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export type RpcTypedData = {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  http?: RpcHttpData;
  int?: number;
  double?: number;
  collectionString?: { string: string[] };
  collectionBytes?: { bytes: Uint8Array[] };
  collectionSint64?: { sint64: number[] };
} | null | undefined;

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData;
  statusCode?: string;
  cookies?: unknown[];
}

export interface InvocationRequest {
  inputData: { name: string; data: RpcTypedData }[];
  triggerMetadata: Record<string, RpcTypedData>;
}

export interface InvocationResponse {
  returnValue?: RpcTypedData;
  outputData?: { name: string; data: RpcTypedData }[];
}

export interface CoreInvocationContext {
  invocationId: string;
  request: InvocationRequest;
  metadata: FunctionMetadata;
  state?: string;
  log(level: string, category: string, message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<InvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(context: CoreInvocationContext): InvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface Registration {
  metadata: FunctionMetadata;
  handler: FunctionCallback;
}

class Disposable {
  constructor(private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
  }
}

export interface LocalCoreApi {
  registrations: Registration[];
  hooks: Record<HookName, HookCallback[]>;
  programmingModel(): ProgrammingModel;
}

/** Installs the core API for everything required from now on; call before loading the app. */
export function installCoreApi(log: (level: string, category: string, message: string) => void, hostVersion: string): LocalCoreApi {
  const registrations: Registration[] = [];
  const hooks: Record<HookName, HookCallback[]> = { appStart: [], appTerminate: [], preInvocation: [], postInvocation: [], log: [] };
  let model: ProgrammingModel | undefined;

  const coreApi = {
    version: hostVersion,
    hostVersion,
    Disposable,
    setProgrammingModel(programmingModel: ProgrammingModel) {
      model = programmingModel;
    },
    getProgrammingModel() {
      return model;
    },
    registerFunction(metadata: FunctionMetadata, handler: FunctionCallback) {
      if (registrations.some((r) => r.metadata.name.toLowerCase() === metadata.name.toLowerCase())) {
        throw new Error(`A function named "${metadata.name}" is already registered`);
      }
      const registration = { metadata, handler };
      registrations.push(registration);
      return new Disposable(() => registrations.splice(registrations.indexOf(registration), 1));
    },
    registerHook(name: HookName, callback: HookCallback) {
      const list = hooks[name];
      if (!list) throw new RangeError(`Unknown hook "${name}"`);
      list.push(callback);
      return new Disposable(() => list.splice(list.indexOf(callback), 1));
    },
    log,
  };

  const moduleProto = Module.prototype as unknown as { require: (id: string) => unknown };
  moduleProto.require = new Proxy(moduleProto.require, {
    apply(target, thisArg, args: [string]) {
      return args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, thisArg, args);
    },
  });

  return {
    registrations,
    hooks,
    programmingModel() {
      if (!model) throw new Error('The app did not load @azure/functions: no programming model was set');
      return model;
    },
  };
}
