export { FileBrowserView, FILE_ROW_HEIGHT, type FileBrowserViewOptions } from './view.js';
export { FolderListing, type FolderState } from './listing.js';
export { formatSize, formatTime } from './format.js';
export {
  filesDocumentSource,
  filesFolderSource,
  filesImageFile,
  IMAGE_FOLDER_LIMIT
} from './imageSource.js';
