import type { Command } from 'commander';
import { registerValidate } from './validate.ts';

/** Every command, in the order `desa --help` lists them. */
export const commands: ((program: Command) => void)[] = [registerValidate];
