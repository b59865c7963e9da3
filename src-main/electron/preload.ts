import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BranchBridge, BranchEventName, BranchMethod } from '../../src-shared/branch-api';

/*
 * The renderer's only door to the branch core: `window.branch.invoke` and
 * `window.branch.on`. The renderer never sees ipcRenderer. Only type imports
 * from the contract: a sandboxed preload cannot load modules, and main
 * validates every input anyway.
 */
const NAME = /^[a-zA-Z]{1,40}$/;

const bridge: BranchBridge = {
  invoke(method: BranchMethod, input: unknown) {
    if (typeof method !== 'string' || !NAME.test(method)) return Promise.reject(new Error('bad method name'));
    return ipcRenderer.invoke(`branch:${method}`, input);
  },
  on(event: BranchEventName, listener: (payload: unknown) => void) {
    if (typeof event !== 'string' || !NAME.test(event)) throw new Error('bad event name');
    const channel = `branch:event:${event}`;
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => { ipcRenderer.removeListener(channel, wrapped); };
  },
} as BranchBridge;

contextBridge.exposeInMainWorld('branch', bridge);
