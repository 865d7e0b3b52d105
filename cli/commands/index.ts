import type { Command } from 'commander';
import { registerCheck } from './check.ts';
import { registerCluster } from './cluster.ts';
import { registerCredentials } from './credentials.ts';
import { registerDestroy } from './destroy.ts';
import { registerDoctor } from './doctor.ts';
import { registerDrift } from './drift.ts';
import { registerImportConnectivity } from './import-connectivity.ts';
import { registerInit } from './init.ts';
import { registerOnboard } from './onboard.ts';
import { registerOutputs } from './outputs.ts';
import { registerPlan } from './plan.ts';
import { registerReport } from './report.ts';
import { registerRotate } from './rotate.ts';
import { registerStatus } from './status.ts';
import { registerUp } from './up.ts';
import { registerValidate } from './validate.ts';

/** Every command, in the order `desa --help` lists them. */
export const commands: ((program: Command) => void)[] = [registerInit, registerValidate, registerOnboard, registerImportConnectivity, registerReport, registerCluster, registerPlan, registerUp, registerDrift, registerDestroy, registerStatus, registerCheck, registerOutputs, registerCredentials, registerRotate, registerDoctor];
