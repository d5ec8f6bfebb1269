/** A collision-resistant digest (hex), injected so the domain stays free of node:crypto. */
export type Hash = (text: string) => string;
