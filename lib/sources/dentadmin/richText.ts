/** Note flattening is shared with Dental-Exec: one implementation, in lib/sources/common. */
export {
	detectTextFormat,
	flattenHtml,
	flattenRichText,
	flattenRtf,
	type TextFormat,
} from '../common/richText';
