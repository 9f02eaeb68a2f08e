/** A dependency check the health endpoint runs. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}
