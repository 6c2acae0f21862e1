import Vue from 'vue'
import App from './App.vue'

Vue.config.productionTip = false

new Vue({
  el: '#app',
  components: { App },
  template: '<App/>',
  mounted () {
    const splash = document.getElementById('splash')
    splash && splash.remove()
  }
})
