// The plugin's testing entry (`@bllvm/nx-plugin/testing`): Nx itself reaches the executors through
// executors.json; tests reach the image executor's effect here.
// The image executor's effect, so a reliability case can build on a real engine without a workspace.
export { type DockerTaskIO, type DockerTaskResult, runDockerTask } from './executors/docker/run-docker';
// Its arguments and environment, so a test can run the engine exactly as the executor does.
export { dockerBuildArgs, dockerEnv } from './executors/docker/docker-args';
