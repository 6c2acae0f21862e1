"""A project's build configuration as the syntax-target answer reads it (the settings of
browserslist, Babel, TypeScript, esbuild, Vite and Parcel)."""
