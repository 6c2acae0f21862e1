// KaiOS 2.5 packaged app: everything is served from app://<id>/, so relative
// asset URLs are the safest choice.
module.exports = {
  publicPath: '',
  outputDir: 'dist',
  productionSourceMap: false,
  // Needed because main.js mounts the root component from a template string.
  runtimeCompiler: true,
  filenameHashing: false,
  chainWebpack: config => {
    config.plugin('html').tap(args => {
      args[0].title = 'Contact Vault'
      return args
    })
    // KaiStore review: keep the output readable
    config.optimization.minimize(false)
  }
}
