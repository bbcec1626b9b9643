export * from './types';
export * from './net-paid';
export * from './recognise';
export * from './fee';
export * from './work-shares';
export * from './holder-shares';
export * from './compute-period';
export * from './adjustments';
