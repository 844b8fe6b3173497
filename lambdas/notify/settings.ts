/** What every notice says about the run's place: the project, the regions and the state machine. */
export interface NoticeSettings {
  readonly project: string;
  /** `project-config/<configName>.yml`: what the CLI's `--project` takes. */
  readonly configName: string;
  readonly targetRole: 'main' | 'dr';
  readonly targetRegion: string;
  readonly sourceRegion: string;
  readonly stateMachineArn: string;
}
