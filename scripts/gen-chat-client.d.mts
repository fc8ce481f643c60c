/** where the generated module goes */
export declare const OUT: string
/** the generated module's text for the current sources */
export declare function chatClientModule(): Promise<string>
