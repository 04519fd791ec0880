/** Injects the `RpcClient` that `RpcClientModule.register` provides. */
export const RPC_CLIENT = Symbol('RPC_CLIENT');
