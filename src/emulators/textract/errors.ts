/** A Textract API error: `code` is the `__type` the SDK turns into its exception class. */
export class TextractError extends Error {
  constructor(
    readonly code: TextractErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

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
