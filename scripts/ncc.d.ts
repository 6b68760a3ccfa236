// @vercel/ncc ships no types; this is the part of its programmatic API the build uses.
declare module '@vercel/ncc' {
  interface NccAsset {
    readonly source: string | Buffer;
    readonly permissions?: number;
  }
  interface NccOptions {
    readonly externals?: Readonly<Record<string, string>>;
    readonly cache?: string | false;
    readonly minify?: boolean;
    readonly sourceMap?: boolean;
    readonly license?: string;
    readonly target?: string;
    readonly quiet?: boolean;
  }
  export default function ncc(
    entry: string,
    options?: NccOptions,
  ): Promise<{ code: string; assets: Readonly<Record<string, NccAsset>> }>;
}
