// Wire types with Cybereason's own nouns. Shapes follow the public captures (XSOAR, Rapid7, SEKOIA):
// every GUID is a string, either legacy `<int>.<int>` or 16 URL-safe base64 characters.
export * from './elements';
export * from './inbox';
export * from './mmng';
export * from './remediation';
export * from './sensors';
export * from './management';
