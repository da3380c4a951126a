// dump_faker.mjs prints the person and location lists of every locale of
// @faker-js/faker (MIT licence) as one JSON object, for the gazetteer
// generator in this folder. Usage:
//
//   npm pack @faker-js/faker@10.6.0 && tar xzf faker-js-faker-10.6.0.tgz
//   node dump_faker.mjs ./package/dist/index.js > /tmp/faker.json
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const mod = await import(pathToFileURL(resolve(process.argv[2])).href);
const flat = (v) => (!v ? [] : Array.isArray(v) ? v : Object.values(v).flat());
const out = {};
for (const [locale, def] of Object.entries(mod.allLocales)) {
  const p = def.person || {};
  const l = def.location || {};
  out[locale] = {
    first: flat(p.first_name).concat(flat(p.middle_name)),
    last: flat(p.last_name),
    city: flat(l.city_name),
    state: flat(l.state),
    country: flat(l.country),
  };
}
console.log(JSON.stringify(out));
