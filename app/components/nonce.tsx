// The per-request CSP nonce (made by scripts/serve.mjs) for the inline scripts Remix
// writes. Browsers hide a nonce from the DOM, so in the browser it is "" and unused.
import { createContext, useContext } from "react";

const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
