// SVG path data of the few icons, drawn on a 24×24 grid and stroked in currentColor (.kit-icon in style.css).
export const icons = {
  send: 'M5 12h14M13 6l6 6-6 6',
  stop: 'M7 7h10v10H7z',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  regenerate: 'M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6',
  down: 'M12 5v14M6 13l6 6 6-6',
  menu: 'M4 6h16M4 12h16M4 18h16',
  plus: 'M12 5v14M5 12h14',
  edit: 'M4 20h4L19 9l-4-4L4 16zM14 6l4 4',
  trash: 'M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13',
  close: 'M6 6l12 12M18 6L6 18',
} as const

export type IconName = keyof typeof icons
