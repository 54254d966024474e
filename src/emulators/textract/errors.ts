import { AwsError } from '../aws-errors/index.js';

/** A Textract API error: `code` is the `__type` the SDK turns into its exception class. */
export class TextractError extends AwsError<TextractErrorCode> {}

export type TextractErrorCode =
  | 'InvalidParameterException'
  | 'UnsupportedDocumentException'
  | 'InvalidS3ObjectException'
  | 'DocumentTooLargeException'
  | 'BadDocumentException'
  | 'InvalidJobIdException'
  | 'AccessDeniedException'
  | 'InternalServerError'
  | 'UnknownOperationException'
  | 'SerializationException';
