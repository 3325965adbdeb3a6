import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';

export declare const name: string;
export declare const createNodesV2: CreateNodesV2;
export declare function testTarget(projectRoot: string): TargetConfiguration & { options: { command: string } };
