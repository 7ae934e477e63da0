// highlight.js declares types for its root only; its `lib/common` entry has the same API.
declare module 'highlight.js/lib/common' {
  import hljs from 'highlight.js'
  export default hljs
}
