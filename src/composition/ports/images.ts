import { createCanvasImageCropper } from '../../adapters/canvas/image-cropper.js';
import type { PortBuilder } from '../types.js';

/** @napi-rs/canvas loads on the first crop; only get-text-from-image's bundle carries the native module. */
export const images: PortBuilder<'images'> = () => createCanvasImageCropper();
