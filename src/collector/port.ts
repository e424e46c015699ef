/** Where the embedded collector listens unless COLLECTOR_PORT says otherwise (its pages and reports). */
export const DEFAULT_COLLECTOR_PORT = 8360;
