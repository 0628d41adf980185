// Log formats: detection from a sample, and one parser per format that turns a line (or a
// CloudTrail record) into a LogEvent. Pure; the reader in src/engines/logs feeds it. One module
// per format under formats/; this is their common entry.
export {clean, DEFAULT_FIELDS, type FieldMap, fieldMapWith, LOG_FIELDS, LOG_FORMATS, type LogEvent, type LogField, type LogFormat, type ParseResult} from './formats/fields.js';
export {parseAnyTime, parseClfTime} from './formats/time.js';
export {parseClfLine} from './formats/clf.js';
export {eventFromObject, parseJsonLine} from './formats/json.js';
export {eventFromCloudTrail} from './formats/cloudtrail.js';
export {type CsvHeader, parseCsvLine, splitCsv} from './formats/csv.js';
export {type Detected, detectFormat} from './formats/detect.js';
