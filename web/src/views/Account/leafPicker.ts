import { createContext } from 'react';

/** Opens the example-conversations panel for a taxonomy leaf (provided by the account page). */
export const LeafPickerContext = createContext<(taxonomyId: string) => void>(() => {});
