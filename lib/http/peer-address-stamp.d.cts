/** Set by the server on every request, with this process's proof; a value sent by a client is overwritten. */
export declare const PEER_ADDRESS_HEADER: "x-kassa-peer-address";
/** Patches http.Server#emit to stamp every request (and refuse `*` and TRACE). Idempotent. */
export declare function installPeerAddressStamp(): void;
/** This process's proof, which a stamped value starts with. */
export declare function peerAddressProof(): string;
/** The header's value for a connection from `address`, as the stamp writes it. */
export declare function peerAddressStamp(address: string): string;
