"""`nianbao audit`: a batch of report files → statuses, findings and the auditor's outputs.

Layout (one job per module):
  inputs        paths, folders and globs → input files, hashed and de-duplicated
  task          audit one file inside a worker: extract, validate, crop the page images
  crops         page images of the cells a finding involves, boxed in red (pypdfium2 + Pillow)
  batch         worker processes with a per-file time limit; dead or hung workers are replaced
  rows          findings → flat, sorted rows shared by every writer
  layout        the three tables laid out like the template (shared by the xlsx and HTML writers)
  safe          untrusted text made inert: formula prefixes, control characters, sheet names
  fsio          atomic writes that never leave --out
  writers_csv_json, writer_xlsx, writer_html, manifest, terminal   the outputs
"""
