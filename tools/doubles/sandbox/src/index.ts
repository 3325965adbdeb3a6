/** Public API of the sandbox: a local, offline stand-in for the BTCDecoded GitHub org. */
export { SANDBOX_COMPONENTS, SANDBOX_OWNER, SANDBOX_VERIFY_COMMAND, type SandboxComponent } from './components';
export { addCommit, createSandboxOrg, headOf, openSandboxOrg, setFault, type SandboxOrg } from './org';
