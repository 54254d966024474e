// The gremlin package ships no type declarations; the adapters type what they use at the call sites.
declare module 'gremlin' {
  // biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS module
  const gremlin: any;
  export default gremlin;
}
