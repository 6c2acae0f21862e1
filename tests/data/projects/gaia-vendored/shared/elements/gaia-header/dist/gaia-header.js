/* gaia-header v0.9.x (github.com/gaia-components/gaia-header), vendored build.
 * Abbreviated for this app: only what the example page needs. Uses Custom
 * Elements v0 (document.registerElement). */
(function(define){define(function(require,exports,module){
'use strict';

var proto = Object.create(HTMLElement.prototype);

proto.createdCallback = function() {
  var shadow = this.createShadowRoot();
  shadow.innerHTML = '<style>:host{display:block;height:50px;background:var(--header-background,#fff)}' +
    '.inner{display:flex;align-items:center;height:100%}' +
    '.action-button{width:50px;height:50px;border:0;background:none}</style>' +
    '<div class="inner"><button class="action-button" hidden></button><content></content></div>';
  this.els = {
    actionButton: shadow.querySelector('.action-button')
  };
  this.els.actionButton.addEventListener('click', this.onActionButtonClick.bind(this));
  this.configureActionButton();
};

proto.attributeChangedCallback = function(attr) {
  if (attr === 'action') {
    this.configureActionButton();
  }
};

proto.configureActionButton = function() {
  var action = this.getAttribute('action');
  this.els.actionButton.hidden = !action;
  this.els.actionButton.setAttribute('icon', action || '');
};

proto.onActionButtonClick = function() {
  this.dispatchEvent(new CustomEvent('action', { detail: { type: this.getAttribute('action') } }));
};

module.exports = document.registerElement('gaia-header', { prototype: proto });

});})(typeof define=='function'&&define.amd?define
:(function(n,w){'use strict';return typeof module=='object'?function(c){
c(require,exports,module);}:function(c){var m={exports:{}};c(function(n){
return w[n];},m.exports,m);w[n]=m.exports;};})('gaia-header',this));
