/* The demo catalog is shared data: the till seeds it locally and `npm start` loads the same products into central's demo tenant. */
export * from '../../src-shared/demo/catalog';
